CREATE TABLE orders (id INT, total DECIMAL(10,2));
